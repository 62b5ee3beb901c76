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

	"github.com/spoke-status/spoke-status/internal/summary"
)

// Config is what a check config file sets. Nil fields were not in the file.
type Config struct {
	Thresholds *Thresholds
	// Per lists the --per dimensions; nil when the file has no per.
	Per            []string
	Confidence     *float64
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
	KeyConfidence     = "confidence"
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
	keys := append(ScalarKeys(), KeyMaxCategoryRate, KeyMaxCodeRate)
	keys = append(keys, ChangeKeys()...)
	for _, k := range keys[:len(keys):len(keys)] {
		keys = append(keys, WarnKey(k))
	}
	return append(keys, KeyPer, KeyMinOutbound, KeyMaxSkippedRows, KeyAllowEmpty, KeyConfidence)
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

	MaxErrorRateIncrease     yaml.Node `yaml:"max-error-rate-increase"`
	MaxStuckSentRateIncrease yaml.Node `yaml:"max-stuck-sent-rate-increase"`
	MaxDeliveryRateDecrease  yaml.Node `yaml:"max-delivery-rate-decrease"`

	WarnErrorRate             yaml.Node `yaml:"warn-error-rate"`
	WarnDeliveryRate          yaml.Node `yaml:"warn-delivery-rate"`
	WarnStuckSentRate         yaml.Node `yaml:"warn-stuck-sent-rate"`
	WarnStuckSent             yaml.Node `yaml:"warn-stuck-sent"`
	WarnOptOutRejectionRate   yaml.Node `yaml:"warn-opt-out-rejection-rate"`
	WarnCategoryRate          yaml.Node `yaml:"warn-category-rate"`
	WarnCodeRate              yaml.Node `yaml:"warn-code-rate"`
	WarnErrorRateIncrease     yaml.Node `yaml:"warn-error-rate-increase"`
	WarnStuckSentRateIncrease yaml.Node `yaml:"warn-stuck-sent-rate-increase"`
	WarnDeliveryRateDecrease  yaml.Node `yaml:"warn-delivery-rate-decrease"`

	Per            yaml.Node `yaml:"per"`
	Confidence     yaml.Node `yaml:"confidence"`
	MinOutbound    yaml.Node `yaml:"min-outbound"`
	MaxSkippedRows yaml.Node `yaml:"max-skipped-rows"`
	AllowEmpty     yaml.Node `yaml:"allow-empty"`
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
		{KeyMaxErrorRateIncrease, &fc.MaxErrorRateIncrease},
		{KeyMaxStuckSentRateIncrease, &fc.MaxStuckSentRateIncrease},
		{KeyMaxDeliveryRateDecrease, &fc.MaxDeliveryRateDecrease},
		{WarnKey(KeyMaxErrorRate), &fc.WarnErrorRate},
		{WarnKey(KeyMinDeliveryRate), &fc.WarnDeliveryRate},
		{WarnKey(KeyMaxStuckSentRate), &fc.WarnStuckSentRate},
		{WarnKey(KeyMaxStuckSent), &fc.WarnStuckSent},
		{WarnKey(KeyMaxOptOutRejectionRate), &fc.WarnOptOutRejectionRate},
		{WarnKey(KeyMaxErrorRateIncrease), &fc.WarnErrorRateIncrease},
		{WarnKey(KeyMaxStuckSentRateIncrease), &fc.WarnStuckSentRateIncrease},
		{WarnKey(KeyMaxDeliveryRateDecrease), &fc.WarnDeliveryRateDecrease},
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
		{WarnKey(KeyMaxCategoryRate), &fc.WarnCategoryRate, cfg.Thresholds.SetWarnCategory},
		{WarnKey(KeyMaxCodeRate), &fc.WarnCodeRate, cfg.Thresholds.SetWarnCode},
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
		per, err := perList(n)
		if err != nil {
			return bad(KeyPer, n, err)
		}
		cfg.Per = per
	}
	if n := &fc.Confidence; present(n) {
		text, err := scalarText(n)
		var c float64
		if err == nil {
			c, err = ParseConfidence(text)
		}
		if err != nil {
			return bad(KeyConfidence, n, err)
		}
		cfg.Confidence = &c
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

// perList reads per: one dimension (per: campaign) or a list of them
// (per: [campaign, sending-number]); as with --per, a comma nests two.
func perList(n *yaml.Node) ([]string, error) {
	values := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		values = n.Content
	}
	per := make([]string, 0, len(values))
	for _, v := range values {
		text, err := scalarText(v)
		if err != nil {
			return nil, errors.New("want a dimension or a list of them, e.g. campaign or [campaign, sending-number]")
		}
		if err := ValidatePer(text); err != nil {
			return nil, err
		}
		per = append(per, text)
	}
	return per, nil
}

// ValidatePer checks a --per value: a summarize dimension, or two nested
// with a comma, except code and category, whose groups hold only rows of
// one code or category (every code group's error rate would be 100%).
func ValidatePer(per string) error {
	for _, part := range strings.Split(per, ",") {
		name := strings.ToLower(strings.TrimSpace(part))
		if name == summary.DimCode || name == summary.DimCategory {
			return fmt.Errorf("%q cannot be checked per group: each %s group holds only the texts of that %s; use --max-%s-rate instead",
				part, name, name, name)
		}
	}
	if _, err := summary.NewDimension(per, summary.Context{}); err != nil {
		return err
	}
	return nil
}
