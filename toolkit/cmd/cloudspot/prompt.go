package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"
)

// prompter asks the person at the terminal for input. Prompts go to stderr,
// so that stdout stays the command's output.
type prompter struct {
	in     io.Reader
	out    io.Writer
	reader *bufio.Reader
}

func (c *cli) prompter() *prompter {
	return &prompter{in: c.stdin, out: c.stderr}
}

// interactive reports whether stdin is a terminal to ask on.
func (p *prompter) interactive() bool { return isTerminal(p.in) }

// line reads a line of stdin, without its line ending.
func (p *prompter) line() (string, error) {
	if p.reader == nil {
		p.reader = bufio.NewReader(p.in)
	}
	s, err := p.reader.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && s != "") {
		if errors.Is(err, io.EOF) {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// ask shows a prompt and reads a line with echo.
func (p *prompter) ask(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	return p.line()
}

// secret shows a prompt and reads a line without echo. Stdin must be a
// terminal.
func (p *prompter) secret(prompt string) (string, error) {
	fd := p.in.(interface{ Fd() uintptr }).Fd()
	fmt.Fprint(p.out, prompt)
	b, err := term.ReadPassword(int(fd))
	fmt.Fprintln(p.out)
	return string(b), err
}
