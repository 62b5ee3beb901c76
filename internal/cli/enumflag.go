package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// enumValue is a flag whose value is one of a closed set: matched without
// regard to case or surrounding space when the flags are parsed, and
// stored as the set spells it, so the command sees only valid values.
// Its help lists the values, and shell completion offers them.
//
// With list set the flag is repeatable and each value may hold several,
// separated by commas (--status SENT,ERROR). With nested set it is
// repeatable and each value is kept whole, its comma-separated parts each
// checked (--by campaign,sending-number).
type enumValue struct {
	values []string
	single *string
	many   *[]string
	nested bool
	// optional flags (default "") may be given empty, meaning not given:
	// --per "" overrides the config file's per.
	optional bool
	set      bool // the first Set of a repeatable flag replaces the default
}

// enumFlag registers a single-valued enum flag.
func enumFlag(cmd *cobra.Command, fs *pflag.FlagSet, p *string, name, short, def, usage string, values []string) {
	*p = def
	v := &enumValue{values: values, single: p, optional: def == ""}
	fs.VarP(v, name, short, usage)
	registerCompletion(cmd, name, values)
}

// enumListFlag registers a repeatable enum flag whose values may also be
// comma-separated; nested keeps each comma-joined value whole.
func enumListFlag(cmd *cobra.Command, fs *pflag.FlagSet, p *[]string, name, usage string, nested bool, values []string) {
	v := &enumValue{values: values, many: p, nested: nested}
	fs.Var(v, name, usage)
	registerCompletion(cmd, name, values)
}

// registerCompletion offers the values to shell completion. A command
// built without one (a FlagSet alone, in tests) gets none.
func registerCompletion(cmd *cobra.Command, name string, values []string) {
	if cmd == nil {
		return
	}
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// valuesText lists values for help and errors: "a, b or c".
func valuesText(values []string) string { return joinWords(values, "or") }

// joinWords joins words as prose does: "a, b and c".
func joinWords(words []string, conjunction string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conjunction + " " + words[len(words)-1]
}

// canonical returns the value of the set s names.
func (v *enumValue) canonical(s string) (string, error) {
	want := strings.TrimSpace(s)
	for _, known := range v.values {
		if strings.EqualFold(known, want) {
			return known, nil
		}
	}
	return "", fmt.Errorf("must be %s", valuesText(v.values))
}

func (v *enumValue) Set(s string) error {
	if v.single != nil {
		if v.optional && strings.TrimSpace(s) == "" {
			*v.single = ""
			return nil
		}
		c, err := v.canonical(s)
		if err != nil {
			return err
		}
		*v.single = c
		return nil
	}
	var parsed []string
	if !v.set {
		*v.many = nil
		v.set = true
	}
	if strings.TrimSpace(s) == "" {
		// An empty value clears the list: --per "" drops the config
		// file's per, as an empty string flag overrides a config key.
		*v.many = nil
		return nil
	}
	if v.nested {
		c, err := v.nestedValue(s)
		if err != nil {
			return err
		}
		parsed = []string{c}
	} else {
		for _, part := range strings.Split(s, ",") {
			c, err := v.canonical(part)
			if err != nil {
				return err
			}
			parsed = append(parsed, c)
		}
	}
	*v.many = append(*v.many, parsed...)
	return nil
}

// nestedValue checks each comma-separated part of s and joins them again.
func (v *enumValue) nestedValue(s string) (string, error) {
	parts := strings.Split(s, ",")
	for i, part := range parts {
		c, err := v.canonical(part)
		if err != nil {
			return "", err
		}
		parts[i] = c
	}
	return strings.Join(parts, ","), nil
}

func (v *enumValue) String() string {
	switch {
	case v.single != nil:
		return *v.single
	case v.many != nil && len(*v.many) > 0:
		return "[" + strings.Join(*v.many, ",") + "]"
	}
	return ""
}

// Type is the placeholder help shows after the flag's name.
func (v *enumValue) Type() string {
	if v.single != nil {
		return "string"
	}
	if v.nested {
		return "stringArray"
	}
	return "strings"
}

// names spells values of a string type as strings.
func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
