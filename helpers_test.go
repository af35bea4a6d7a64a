package cloudspot_test

import (
	"fmt"
	"reflect"
	"testing"
)

// must takes a call's two results and returns a function that gives the
// value to a test, failing it on the error: must(api.List(ctx))(t).
func must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// diff describes how got differs from want, or returns "" when they are
// deeply equal. The SDK's tests use no comparison library, so that the SDK
// module requires nothing.
func diff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return fmt.Sprintf("want %+v\n got %+v", want, got)
}
