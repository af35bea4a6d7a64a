module github.com/cloudspot-toolkit/cloudspot

go 1.26.0
