package main

// Main lets the tests run their own binary as clientela (see TestMain in main_test.go).
var Main = main
