package cloudspot

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"unsafe"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
)

// model is a response object whose fields method lists its wire keys.
type model[T any] interface {
	*T
	fields() []field
}

// decodeList reads a list body, {"data": [...]}, handing each object to
// yield as soon as it is decoded, so that nothing but the current object is
// held. It reports done false when yield asked to stop. Keys beside data are
// ignored, except a next page, which version 1 of the API never announces:
// it is an error rather than a list silently cut short.
func decodeList[T any, P model[T]](s *scanner, what string, yield func(T) bool) (done bool, err error) {
	var cur T
	fs := P(&cur).fields()
	c, err := s.peek()
	if err != nil {
		return false, err
	}
	if c != '{' {
		return false, fmt.Errorf("want an object holding a data list, got %s", jsonkind.Name(c))
	}
	if err := s.openObject(); err != nil {
		return false, err
	}
	sawData := false
	for i := 0; ; i++ {
		key, ok, err := s.member(i)
		if err != nil {
			return false, err
		}
		if !ok {
			break
		}
		switch string(key) {
		case "data":
			if sawData {
				return false, s.fail("the key data appears twice")
			}
			sawData = true
			if done, err := decodeData(s, what, &cur, fs, yield); err != nil || !done {
				return done, err
			}
		case "next":
			more, err := s.nextPage()
			if err != nil {
				return false, err
			}
			if more {
				return false, fmt.Errorf("the server sent part of the %s list with a link to the next page; "+
					"following it is not part of version 1 of the API, and a partial list is never returned: %w", what, errors.ErrUnsupported)
			}
		default:
			if err := s.skip(); err != nil {
				return false, err
			}
		}
	}
	return true, s.end()
}

// decodeData reads the data list (null is an empty one) into cur, whose
// fields are fs, and hands each object to yield.
func decodeData[T any](s *scanner, what string, cur *T, fs []field, yield func(T) bool) (done bool, err error) {
	c, err := s.peek()
	switch {
	case err != nil:
		return false, err
	case c == 'n':
		return true, s.literal("null")
	case c != '[':
		return false, fmt.Errorf("want data to be a list, got %s", jsonkind.Name(c))
	}
	if err := s.openArray(); err != nil {
		return false, err
	}
	var zero T
	for n := 1; ; n++ {
		ok, err := s.element(n - 1)
		if err != nil || !ok {
			return err == nil, err
		}
		*cur = zero
		if err := decodeFields(s, what, fs); err != nil {
			if s.broken != nil {
				return false, err
			}
			return false, fmt.Errorf("%s number %d: %w", what, n, err)
		}
		if !yield(*cur) {
			return false, nil
		}
	}
}

// nextPage reads the value of a next key: null, false or an empty string
// mean there is none.
func (s *scanner) nextPage() (bool, error) {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return false, err
	case kind == '{' || kind == '[':
		return true, s.skip()
	case kind == '"':
		return len(trimSpace(text)) > 0, nil
	}
	return kind != 'n' && kind != 'f', nil
}

// list collects a whole list. The response limit bounds what the list
// holds, not only the bytes read: each object counts at least its size in
// memory, so that a body of many tiny objects ({}, {}, ...) cannot turn a
// small body into a huge list.
//
// Objects go into chunks rather than one growing slice, which would copy
// a large list again and again; the chunks are joined at the end. When the
// body's length is known, the first chunk is sized from it after a sample
// of objects, so that a list usually fits it and needs no joining.
func list[T any, P model[T]](ctx context.Context, c companyToken, path, what string) ([]T, error) {
	const chunkLen, sample = 1024, 256
	var chunks [][]T
	cur := make([]T, 0, sample)
	size := int64(unsafe.Sizeof(*new(T)))
	n, tooLarge := int64(0), false
	err := c.stream(ctx, path, nil, func(s *scanner, length int64) error {
		_, err := decodeList[T, P](s, what, func(v T) bool {
			if n++; n*size > c.t.maxBytes {
				tooLarge = true
				return false
			}
			if len(cur) == cap(cur) {
				next := chunkLen
				if n == sample+1 && length > 0 {
					// Objects so far took read/sample bytes each;
					// a tenth more leaves room for longer ones. A
					// sample of tiny objects cannot make the chunk
					// take more memory than the body itself.
					read := s.off + int64(s.i)
					next = int(min(length/max(read/sample, 1)*11/10, length/size, c.t.maxBytes/size))
				}
				if n == sample+1 {
					// The sample moves into the first real chunk.
					next = max(next, chunkLen)
					first := make([]T, len(cur), next)
					copy(first, cur)
					cur = first
				} else {
					chunks = append(chunks, cur)
					cur = make([]T, 0, next)
				}
			}
			cur = append(cur, v)
			return true
		})
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case tooLarge:
		return nil, c.t.tooLarge(c.call(path, nil), c.t.maxBytes)
	case len(chunks) == 0:
		return cur, nil
	}
	total := len(cur)
	for _, ch := range chunks {
		total += len(ch)
	}
	out := make([]T, 0, total)
	for _, ch := range chunks {
		out = append(out, ch...)
	}
	return append(out, cur...), nil
}

// all yields a list's objects as they arrive. It holds one at a time, and
// reads at most the response limit, as every call does: a server that
// never ends its list ends the loop with ErrResponseTooLarge rather than
// run until the caller gives up.
func all[T any, P model[T]](ctx context.Context, c companyToken, path, what string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		stopped := false
		err := c.stream(ctx, path, nil, func(s *scanner, _ int64) error {
			_, err := decodeList[T, P](s, what, func(v T) bool {
				if ctx.Err() != nil {
					return false
				}
				stopped = !yield(v, nil)
				return !stopped
			})
			return err
		})
		if stopped {
			return
		}
		if err == nil && ctx.Err() != nil {
			cl := c.call(path, nil)
			err = fmt.Errorf("cloudspot: %s %s: %w", cl.method, c.t.urlOf(cl).Path, ctx.Err())
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// one reads the object with id through a list call (GET path?id=). An
// empty answer is an error matching ErrNotFound. Any answer but the one
// object asked for (several, one without an id, one with another id: a
// server that ignores the query) is an error matching
// errors.ErrUnsupported, never an object under the wrong id. noun and
// nouns name the object in messages ("product", "products").
func one[T any, P model[T]](ctx context.Context, c companyToken, path, what string, id int64, idOf func(T) int64, noun, nouns string) (T, error) {
	var got []T
	q := url.Values{"id": {strconv.FormatInt(id, 10)}}
	err := c.stream(ctx, path, q, func(s *scanner, _ int64) error {
		_, err := decodeList[T, P](s, what, func(v T) bool {
			got = append(got, v)
			return len(got) < 2
		})
		return err
	})
	var zero T
	if err != nil {
		return zero, err
	}
	var answer string
	switch {
	case len(got) == 0:
		return zero, c.t.newError(c.call(path, q), http.StatusOK, ErrNotFound, fmt.Sprintf("no %s with id %d", noun, id))
	case len(got) > 1:
		answer = "several " + nouns
	case idOf(got[0]) == 0:
		answer = "a " + noun + " without an id"
	case idOf(got[0]) != id:
		answer = fmt.Sprintf("the %s with id %d", noun, idOf(got[0]))
	default:
		return got[0], nil
	}
	return zero, fmt.Errorf("cloudspot: GET %s?id=%d: the server answered with %s: it does not support getting one %s by id: %w",
		c.t.urlOf(c.call(path, nil)).Path, id, answer, noun, errors.ErrUnsupported)
}
