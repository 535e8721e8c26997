module example.invalid/acme/service

go 1.19

require (
	github.com/go-chi/chi/v5 v5.0.11
	github.com/google/uuid v1.6.0
	github.com/sirupsen/logrus v1.9.3
	golang.org/x/sync v0.6.0
	gopkg.in/yaml.v3 v3.0.1
	example.invalid/acme/lint v0.0.0-00010101000000-000000000000
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/dgrijalva/jwt-go v3.2.1+incompatible // indirect
	golang.org/x/sys v0.0.0-20231006140011-7918f672742d // indirect
	google.golang.org/protobuf v1.31.0 // indirect
	github.com/stretchr/testify v1.8.4 // indirect
)

replace example.invalid/acme/lint => ./tools/lint

exclude golang.org/x/sync v0.2.0

retract v1.0.1 // published by mistake
