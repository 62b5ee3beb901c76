package check

// ErrorReport is what check --format json prints when it cannot judge
// (a usage or input error, nothing to check): still one JSON object, with
// passed false, so that `check --format json ... | jq -e .passed` fails
// rather than reading an empty stdout.
type ErrorReport struct {
	SchemaVersion int         `json:"schema_version"`
	Passed        bool        `json:"passed"`
	Error         ErrorDetail `json:"error"`
}

// ErrorDetail is the error as standard error shows it, and the exit code.
type ErrorDetail struct {
	Message  string `json:"message"`
	ExitCode int    `json:"exit_code"`
}

// NewErrorReport returns the report of a run that ended in an error.
func NewErrorReport(message string, exitCode int) ErrorReport {
	return ErrorReport{SchemaVersion: SchemaVersion, Error: ErrorDetail{Message: message, ExitCode: exitCode}}
}
