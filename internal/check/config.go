package check

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is what a check config file sets. Nil fields were not in the file.
type Config struct {
	Thresholds     *Thresholds
	Per            *string
	MinOutbound    *int64
	MaxSkippedRows *int64
	AllowEmpty     *bool
}

// Keys of the config file besides the thresholds; the flags have the same
// names.
const (
	KeyPer            = "per"
	KeyMinOutbound    = "min-outbound"
	KeyMaxSkippedRows = "max-skipped-rows"
	KeyAllowEmpty     = "allow-empty"
)

// ConfigError is a problem in a config file, tied to a line when known.
type ConfigError struct {
	Path string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// ConfigKeys lists every key a config file may hold, for hints.
func ConfigKeys() []string {
	return append(ScalarKeys(), KeyMaxCategoryRate, KeyMaxCodeRate, KeyPer, KeyMinOutbound, KeyMaxSkippedRows, KeyAllowEmpty)
}

// fileConfig mirrors the YAML document. Values are kept as nodes, so that
// rates are parsed exactly from their text (not through YAML's floats), a
// key given without a value is seen (a pointer would silently stay nil),
// and errors can name the key and line.
type fileConfig struct {
	MaxErrorRate           yaml.Node `yaml:"max-error-rate"`
	MinDeliveryRate        yaml.Node `yaml:"min-delivery-rate"`
	MaxStuckSentRate       yaml.Node `yaml:"max-stuck-sent-rate"`
	MaxStuckSent           yaml.Node `yaml:"max-stuck-sent"`
	MaxOptOutRejectionRate yaml.Node `yaml:"max-opt-out-rejection-rate"`
	MaxCategoryRate        yaml.Node `yaml:"max-category-rate"`
	MaxCodeRate            yaml.Node `yaml:"max-code-rate"`
	Per                    yaml.Node `yaml:"per"`
	MinOutbound            yaml.Node `yaml:"min-outbound"`
	MaxSkippedRows         yaml.Node `yaml:"max-skipped-rows"`
	AllowEmpty             yaml.Node `yaml:"allow-empty"`
}

func present(n *yaml.Node) bool { return n.Kind != 0 }

// scalarText is the text of a single value; anything else (a list, a
// mapping, nothing) is an error.
func scalarText(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", errors.New("want a single value, e.g. 5%")
	}
	return n.Value, nil
}

// LoadConfig reads a config file.
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &ConfigError{Path: path, Msg: fmt.Sprintf("cannot read the config file: %v", unwrapPath(err))}
	}
	defer f.Close()
	return DecodeConfig(f, path)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// DecodeConfig reads a config document; path names it in errors. Unknown
// keys are errors: a misspelt threshold must not leave a gate that never
// fails.
func DecodeConfig(r io.Reader, path string) (*Config, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var fc fileConfig
	if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	return fc.config(path)
}

var (
	yamlLinePattern   = regexp.MustCompile(`^line ([0-9]+): (.*)$`)
	unknownKeyPattern = regexp.MustCompile(`^field (.+) not found in type \S+$`)
	yamlPrefixPattern = regexp.MustCompile(`^yaml: (unmarshal errors:\s*)?`)
)

// yamlError turns a yaml.v3 error into a ConfigError naming the line and,
// for an unknown key, the key.
func yamlError(path string, err error) error {
	msg := strings.TrimSpace(yamlPrefixPattern.ReplaceAllString(err.Error(), ""))
	var te *yaml.TypeError
	isType := errors.As(err, &te) && len(te.Errors) > 0
	if isType {
		msg = strings.TrimSpace(te.Errors[0])
	}
	line := 0
	if m := yamlLinePattern.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	switch m := unknownKeyPattern.FindStringSubmatch(msg); {
	case m != nil:
		msg = fmt.Sprintf("unknown key %q (known keys: %s)", m[1], strings.Join(ConfigKeys(), ", "))
	case strings.HasPrefix(msg, "cannot unmarshal"):
		msg = "the file must be a mapping of keys to values, e.g. max-error-rate: 5%"
	case !isType:
		msg = "not valid YAML: " + msg
	}
	return &ConfigError{Path: path, Line: line, Msg: msg}
}

// config validates every value, naming the key of the first bad one.
func (fc *fileConfig) config(path string) (*Config, error) {
	cfg := &Config{Thresholds: NewThresholds()}
	bad := func(key string, n *yaml.Node, err error) error {
		return &ConfigError{Path: path, Line: n.Line, Msg: fmt.Sprintf("%s: %v", key, err)}
	}
	scalars := []struct {
		key string
		n   *yaml.Node
	}{
		{KeyMaxErrorRate, &fc.MaxErrorRate},
		{KeyMinDeliveryRate, &fc.MinDeliveryRate},
		{KeyMaxStuckSentRate, &fc.MaxStuckSentRate},
		{KeyMaxStuckSent, &fc.MaxStuckSent},
		{KeyMaxOptOutRejectionRate, &fc.MaxOptOutRejectionRate},
	}
	for _, s := range scalars {
		if !present(s.n) {
			continue
		}
		text, err := scalarText(s.n)
		if err == nil {
			err = cfg.Thresholds.Set(s.key, text)
		}
		if err != nil {
			return nil, bad(s.key, s.n, err)
		}
	}
	keyed := []struct {
		key string
		n   *yaml.Node
		set func(name, value string) error
	}{
		{KeyMaxCategoryRate, &fc.MaxCategoryRate, cfg.Thresholds.SetCategory},
		{KeyMaxCodeRate, &fc.MaxCodeRate, cfg.Thresholds.SetCode},
	}
	for _, k := range keyed {
		if !present(k.n) {
			continue
		}
		if at, err := setKeyed(k.n, k.set); err != nil {
			return nil, bad(k.key, at, err)
		}
	}
	return cfg, fc.settings(cfg, bad)
}

// setKeyed sets the thresholds of a mapping such as
// max-category-rate: {spam_blocked: 2%}, in file order. On error it
// returns the node at fault, for its line.
func setKeyed(n *yaml.Node, set func(name, value string) error) (*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return n, errors.New("want a mapping of names to rates, e.g. spam_blocked: 2%")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name, value := n.Content[i], n.Content[i+1]
		text, err := scalarText(value)
		if err == nil {
			err = set(name.Value, text)
		}
		if err != nil {
			return name, err
		}
	}
	return nil, nil
}

// settings validates the keys that are not thresholds.
func (fc *fileConfig) settings(cfg *Config, bad func(string, *yaml.Node, error) error) error {
	if n := &fc.Per; present(n) {
		per, err := scalarText(n)
		if err == nil {
			err = ValidatePer(per)
		}
		if err != nil {
			return bad(KeyPer, n, err)
		}
		cfg.Per = &per
	}
	counts := []struct {
		key string
		n   *yaml.Node
		dst **int64
	}{
		{KeyMinOutbound, &fc.MinOutbound, &cfg.MinOutbound},
		{KeyMaxSkippedRows, &fc.MaxSkippedRows, &cfg.MaxSkippedRows},
	}
	for _, c := range counts {
		if !present(c.n) {
			continue
		}
		text, err := scalarText(c.n)
		var v int64
		if err == nil {
			v, err = ParseCount(text)
		}
		if err != nil {
			return bad(c.key, c.n, err)
		}
		*c.dst = &v
	}
	if n := &fc.AllowEmpty; present(n) {
		allow, err := parseBool(n)
		if err != nil {
			return bad(KeyAllowEmpty, n, err)
		}
		cfg.AllowEmpty = &allow
	}
	return nil
}

// parseBool reads true or false (YAML's other spellings, yes and on,
// are refused: a typo must not switch a safety off).
func parseBool(n *yaml.Node) (bool, error) {
	text, err := scalarText(n)
	switch {
	case err != nil:
		return false, errors.New("want true or false")
	case text == "true":
		return true, nil
	case text == "false":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", text)
}

// PerValues are the breakdowns --per (and the per key) accept.
func PerValues() []string { return []string{"campaign"} }

// ValidatePer checks a --per value: only campaign for now.
func ValidatePer(per string) error {
	if per != "campaign" {
		return fmt.Errorf("%q is not a breakdown check can evaluate: the only one is campaign", per)
	}
	return nil
}
