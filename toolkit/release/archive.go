package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// archiveFile is a file of an archive: its name there, where it is now and
// its mode.
type archiveFile struct {
	name, path string
	mode       int64
}

// modTime is the time every file of an archive carries: SOURCE_DATE_EPOCH
// when set (the commit's time, for archives that come out the same byte for
// byte from the same commit), else now.
func modTime() time.Time {
	if s, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(s, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

// writeArchive writes files under the directory dir into a new archive at
// file (zip when its name ends in .zip, else gzipped tar) and returns its
// SHA-256. A half-written archive is removed.
func writeArchive(file, dir string, files []archiveFile) (sum string, err error) {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(file)
		}
	}()
	if strings.HasSuffix(file, ".zip") {
		err = writeZip(f, dir, files)
	} else {
		err = writeTarGz(f, dir, files)
	}
	if err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return sha256File(file)
}

func writeTarGz(w io.Writer, dir string, files []archiveFile) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	when := modTime()
	for _, af := range files {
		src, err := os.Open(af.path)
		if err != nil {
			return err
		}
		fi, err := src.Stat()
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Name: dir + "/" + af.name, Mode: af.mode, Size: fi.Size(), ModTime: when, Typeflag: tar.TypeReg, Format: tar.FormatPAX})
		}
		if err == nil {
			_, err = io.Copy(tw, src)
		}
		src.Close()
		if err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, dir string, files []archiveFile) error {
	zw := zip.NewWriter(w)
	when := modTime()
	for _, af := range files {
		h := &zip.FileHeader{Name: dir + "/" + af.name, Method: zip.Deflate, Modified: when}
		h.SetMode(os.FileMode(af.mode))
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		src, err := os.Open(af.path)
		if err != nil {
			return err
		}
		_, err = io.Copy(dst, src)
		src.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
