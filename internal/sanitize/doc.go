// Package sanitize makes untrusted text from Spoke exports safe for the
// places spoke-status writes it: spreadsheet cells (CSVCell) and terminal
// tables (Terminal, Truncate).
//
// Every function may run once per output cell over millions of rows, so each
// one returns its input string unchanged, without allocating, when nothing
// needs to change, uses no regular expressions and keeps no mutable state.
package sanitize
