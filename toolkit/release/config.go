package main

// The release configuration: what a release holds and for which
// platforms. CI checks it with -check, which builds every program for
// every target, so that a file for one platform cannot break another.

// programs are the toolkit's programs that a release ships, by their
// package path in the toolkit module.
var programs = []string{
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cmd/cloudspot",
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cmd/cloudspot-server",
}

// target is one platform a release is built for.
type target struct{ goos, goarch string }

func (t target) String() string { return t.goos + "/" + t.goarch }

// targets are the platforms of a release: each gets one archive.
var targets = []target{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// extras are files from the repository's root that every archive holds
// beside the programs.
var extras = []string{"LICENSE", "README.md", "CHANGELOG.md", "deploy/cloudspot-server.service"}

// checksums is the file that lists every archive's SHA-256.
const checksums = "SHA256SUMS"
