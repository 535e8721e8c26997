module example.invalid/acme/service

go 1.19

require (
	github.com/go-chi/chi/v5 v5.0.10
	github.com/google/uuid v1.3.0
	github.com/sirupsen/logrus v1.9.0
	golang.org/x/sync v0.3.0
	gopkg.in/yaml.v3 v3.0.1
	example.invalid/acme/lint v0.0.0-00010101000000-000000000000
)

require github.com/golang/protobuf v1.5.3 // indirect

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/dgrijalva/jwt-go v3.2.0+incompatible // indirect
	golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 // indirect
	google.golang.org/protobuf v1.31.0 // indirect
)

replace example.invalid/acme/lint => ./tools/lint

// Pin a fork with a fix that is not released upstream yet.
replace github.com/sirupsen/logrus v1.9.0 => github.com/acme-forks/logrus v1.9.1-0.20230601120000-1a2b3c4d5e6f

exclude golang.org/x/sync v0.2.0

retract v1.0.1 // published by mistake
