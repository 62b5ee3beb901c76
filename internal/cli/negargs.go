package cli

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// negativeNumber is an argument such as -166: Spoke's own error codes are
// negative, and no flag of spoke-status is a digit.
var negativeNumber = regexp.MustCompile(`^-[0-9]+$`)

// protectNegativeNumbers lets negative numbers be arguments: pflag reads
// `codes -166 -5` as the shorthand flags -1, -6, ... and fails. When a
// negative number stands where an argument would (not as the value of a
// flag, which pflag already takes: rows --code -5), the command's
// arguments are rewritten as its flags, then "--", then its positional
// arguments in their order, which pflag parses as meant. Anything else,
// including "-" for standard input and real short flags, is left as it is.
func protectNegativeNumbers(root *cobra.Command, args []string) []string {
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		return args
	}
	flags, positional, protect := splitArgs(cmd, rest)
	if !protect {
		return args
	}
	out := strings.Fields(strings.TrimPrefix(cmd.CommandPath(), root.CommandPath()))
	out = append(out, flags...)
	out = append(out, "--")
	return append(out, positional...)
}

// splitArgs separates a command's flags (with their values) from its
// positional arguments the way pflag does, and reports whether a negative
// number is among the positional ones.
func splitArgs(cmd *cobra.Command, args []string) (flags, positional []string, negative bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			return flags, positional, negative
		case negativeNumber.MatchString(a):
			positional = append(positional, a)
			negative = true
		case len(a) < 2 || a[0] != '-':
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			if takesNextArg(cmd, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, positional, negative
}

// takesNextArg reports whether the flag argument a (--name or a cluster
// of shorthands, -qf) takes the next argument as its value. Unknown flags
// take none: pflag will report them.
func takesNextArg(cmd *cobra.Command, a string) bool {
	if name, ok := strings.CutPrefix(a, "--"); ok {
		if strings.Contains(name, "=") {
			return false
		}
		return needsValue(lookupFlag(cmd, func(fs *pflag.FlagSet) *pflag.Flag { return fs.Lookup(name) }))
	}
	shorthands := a[1:]
	for i := 0; i < len(shorthands); i++ {
		c := shorthands[i : i+1]
		f := lookupFlag(cmd, func(fs *pflag.FlagSet) *pflag.Flag { return fs.ShorthandLookup(c) })
		switch {
		case f == nil, i+1 < len(shorthands) && shorthands[i+1] == '=':
			return false
		case f.NoOptDefVal != "":
			continue
		}
		return i+1 == len(shorthands) // -fjson holds its value
	}
	return false
}

func needsValue(f *pflag.Flag) bool { return f != nil && f.NoOptDefVal == "" }

// lookupFlag finds a flag among the command's own and inherited flags.
func lookupFlag(cmd *cobra.Command, find func(*pflag.FlagSet) *pflag.Flag) *pflag.Flag {
	if f := find(cmd.Flags()); f != nil {
		return f
	}
	return find(cmd.InheritedFlags())
}
