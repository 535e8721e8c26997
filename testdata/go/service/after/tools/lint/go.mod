module example.invalid/acme/lint

go 1.19
