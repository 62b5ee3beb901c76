// Command spoke-status reports the deliverability of Spoke messages exports.
// Everything lives in internal/cli; this file only hands over the process.
package main

import (
	"os"

	"github.com/spoke-status/spoke-status/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.ProcessEnv()))
}
