package main
import (
 _ "modernc.org/sqlite"
 _ "github.com/jackc/pgx/v5/stdlib"
 _ "github.com/google/uuid"
 _ "golang.org/x/text/unicode/norm"
 _ "golang.org/x/crypto/argon2"
 _ "github.com/nyaruka/phonenumbers"
)
func main(){}
