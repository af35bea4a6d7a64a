module github.com/cloudspot-toolkit/cloudspot

go 1.23
