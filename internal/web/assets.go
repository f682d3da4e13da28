package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files under names that carry a hash of their content
// ("app.3f2a9c1b.css"), so browsers may keep them for a year: a new release changes the name.
type assets struct {
	byName map[string]string // "app.css" → "/static/app.3f2a9c1b.css"
	files  map[string]asset  // "/static/app.3f2a9c1b.css" → content
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	as := &assets{byName: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		as.byName[name] = url
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		as.files[url] = asset{body: body, contentType: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return as, nil
}

// path is the fingerprinted URL of a static file; templates call it as {{asset "app.css"}}.
func (as *assets) path(name string) (string, error) {
	u, ok := as.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

func (as *assets) serve(w http.ResponseWriter, r *http.Request) {
	a, ok := as.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
