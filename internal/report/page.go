package report

import (
	"bufio"
	"embed"
	"html/template"
	"io"
)

//go:embed assets/report.html.tmpl assets/report.css
var assets embed.FS

// pageTemplate is parsed once; html/template escapes every value by its
// context, so export text (campaign ids, file names, domains) renders as
// text.
var pageTemplate = template.Must(template.New("report.html.tmpl").ParseFS(assets, "assets/report.html.tmpl"))

// styleCSS is the page's stylesheet, inlined in a <style> element.
var styleCSS = template.CSS(mustRead("assets/report.css"))

func mustRead(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: cannot happen
	}
	return string(b)
}

// Write writes the page as one HTML document.
func (p *Page) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if err := pageTemplate.Execute(bw, p); err != nil {
		return err
	}
	return bw.Flush()
}
