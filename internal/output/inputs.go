package output

import (
	"fmt"
	"io/fs"
	"os"
)

// IsStdinName reports whether an input operand names standard input.
func IsStdinName(arg string) bool {
	switch arg {
	case "-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0":
		return true
	}
	return false
}

// StatInputs returns what each input is, for Prepare to keep outputs off
// them, and refuses an input given twice (the same file under two names,
// or standard input twice): its rows would be counted twice. stdin is what
// standard input is (nil when unknown). An input that cannot be read is
// left for the reader to report.
func StatInputs(args []string, stdin fs.FileInfo) ([]Input, error) {
	inputs := make([]Input, len(args))
	firstStdin := ""
	for i, arg := range args {
		inputs[i].Arg = arg
		if IsStdinName(arg) {
			if firstStdin != "" {
				return nil, duplicateStdin(firstStdin, arg)
			}
			firstStdin = arg
			inputs[i].Info = stdin
		} else if st, err := os.Stat(arg); err == nil {
			inputs[i].Info = st
		}
		if err := checkSeen(inputs[:i], inputs[i]); err != nil {
			return nil, err
		}
	}
	return inputs, nil
}

// checkSeen refuses in when it is the same file as an earlier input.
// Devices other than a file's stand-ins are compared too: /dev/null twice
// is still one file given twice.
func checkSeen(earlier []Input, in Input) error {
	if in.Info == nil {
		return nil
	}
	for _, e := range earlier {
		if e.Info != nil && os.SameFile(e.Info, in.Info) {
			return duplicateFile(e.Arg, in.Arg)
		}
	}
	return nil
}

func duplicateStdin(first, second string) error {
	msg := fmt.Sprintf("%q and %q both name standard input, which can be read only once", first, second)
	if first == second {
		msg = fmt.Sprintf("%q is given twice: standard input can be read only once", first)
	}
	return &Error{Msg: msg, Hint: "give each export once"}
}

func duplicateFile(first, second string) error {
	msg := fmt.Sprintf("%q and %q are the same file: its rows would be counted twice", first, second)
	if first == second {
		msg = fmt.Sprintf("%q is given twice: its rows would be counted twice", first)
	}
	return &Error{Msg: msg, Hint: "give each export once"}
}
