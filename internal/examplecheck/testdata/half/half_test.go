package half_test

import "fmt"

func ExampleShown() {
	fmt.Println("shown")
	// Output: shown
}

// An Example without an Output comment is compiled, never run.
func ExampleSilent() {}

func ExampleT_M() {
	// Output:
}
