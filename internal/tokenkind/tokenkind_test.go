package tokenkind

import "testing"

func TestOf(t *testing.T) {
	t.Parallel()
	for token, want := range map[string]Kind{
		"csu_Abc123":  User,
		"csc_Abc123":  Company,
		"CSU_Abc123":  Unknown, // prefixes are lower case, as issued
		"csu":         Unknown,
		"xcsu_Abc123": Unknown,
		"DemoCompanyTokenForLocalUseOnly0000000000000000": Unknown,
		"": Unknown,
	} {
		if got := Of(token); got != want {
			t.Errorf("Of(%q) = %v, want %v", token, got, want)
		}
	}
}
