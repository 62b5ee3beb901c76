package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xml")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		fill    func(*os.File) error
		want    string
		wantErr bool
	}{
		{"success replaces", func(f *os.File) error { _, err := fmt.Fprint(f, "new"); return err }, "new", false},
		{"failure keeps old", func(f *os.File) error { fmt.Fprint(f, "half"); return errors.New("boom") }, "new", true},
	}
	for _, tt := range tests {
		err := Write(path, tt.fill)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%s: err = %v", tt.name, err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != tt.want {
			t.Errorf("%s: file = %q, want %q", tt.name, got, tt.want)
		}
		left, _ := filepath.Glob(filepath.Join(dir, ".out.xml.tmp-*"))
		if len(left) != 0 {
			t.Errorf("%s: temporary files left: %v", tt.name, left)
		}
	}
	if err := Write(filepath.Join(dir, "missing-dir", "x"), func(*os.File) error { return nil }); err == nil {
		t.Error("writing into a missing directory must fail")
	}
}
