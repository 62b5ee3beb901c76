package render

import "strings"

// zeroWidthSpace breaks an e-mail autolink: GitHub links "a@b.com" even
// with the '@' backslash-escaped, but not with an invisible character
// before it.
const zeroWidthSpace = "\u200b"

// EscapeMarkdown makes export text (campaign ids, file names, codes,
// domains) literal in GitHub-flavoured Markdown, so that no HTML, link,
// image or emphasis from an export renders in a summary or a job summary.
// Checked against cmark-gfm with the table, autolink and tagfilter
// extensions (what GitHub runs):
//
//   - \ ` * [ ] & | ~ are backslash-escaped: no entity, code span, link
//     or image can start, and a pipe cannot end a table cell. '(' , ')'
//     and '!' are left alone: without a '[' or ']' they cannot form a
//     link or an image.
//   - '<' is escaped where it could open a tag, a comment or an autolink
//     (before a letter, '/', '!' or '?'); "<= 5%" stays as it is. '>'
//     is left alone: export text never starts a line, where it could
//     open a block quote.
//   - '_' is escaped unless it sits between two letters or digits, where
//     it cannot start or end emphasis ("opted_out" stays as it is).
//   - Extended autolinks are broken without changing what is shown:
//     "http://" and "https://" get their ':' escaped, "www." its '.';
//     an '@' gets a zero-width space before it (e-mail autolinks ignore
//     the backslash).
func EscapeMarkdown(s string) string {
	if !strings.ContainsAny(s, "\\`*[]<>&|~_:.@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("\\`*[]&|~", c) >= 0:
			b.WriteByte('\\')
		case c == '<' && i+1 < len(s) && opensTag(s[i+1]):
			b.WriteByte('\\')
		case c == '_' && !(i > 0 && isAlnum(s[i-1]) && i+1 < len(s) && isAlnum(s[i+1])):
			b.WriteByte('\\')
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteByte('\\')
		case c == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\')
		case c == '@':
			b.WriteString(zeroWidthSpace)
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// opensTag reports the bytes after '<' that make it HTML or an autolink.
func opensTag(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?'
}
