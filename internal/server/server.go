// Package server puts the faces together into one HTTP handler with the cross-cutting
// middleware (recovery, logging without personal data, security headers), and runs it with
// a graceful shutdown.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/httpapi"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/reqlog"
	"github.com/clientela/clientela/internal/web"
)

// Options are the settings of the HTTP surface beyond the use cases.
type Options struct {
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed: behind one,
	// every client would otherwise share the proxy's address for the login rate limit.
	TrustedProxies []netip.Prefix
}

// Handler returns the whole HTTP surface of Clientela: the JSON API under /api/, the
// backoffice pages everywhere else, and a health check.
func Handler(a *app.App, msgs *i18n.Bundle, log *slog.Logger, opts Options) (http.Handler, error) {
	pages, err := web.New(a, msgs, log, web.Options{TrustedProxies: opts.TrustedProxies})
	if err != nil {
		return nil, fmt.Errorf("backoffice pages: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", httpapi.New(a, msgs, log))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("/", pages)
	return logRequests(log, recoverer(log, msgs, securityHeaders(mux))), nil
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection: a long download (the accounting
// export) moves its write deadline past the server's WriteTimeout, and flushes.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// logRequests logs each request by its route pattern, never its URL: query strings carry
// customers' names and phone numbers. Failures (5xx) are logged at error level, the rest
// only when debugging.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		ctx, info := reqlog.With(r.Context())
		// The mux records the matched pattern on the request it is given: keep that one.
		r = r.WithContext(ctx)
		next.ServeHTTP(rec, r)
		level := slog.LevelDebug
		if rec.status >= 500 {
			level = slog.LevelError
		}
		if !log.Enabled(ctx, level) {
			return
		}
		attrs := []any{slog.String("method", r.Method), slog.String("route", r.Pattern),
			slog.Int("status", rec.status), slog.Duration("duration", time.Since(start))}
		if info.UserID != "" {
			attrs = append(attrs, slog.String("user_id", info.UserID))
		}
		log.Log(ctx, level, "request", attrs...)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func recoverer(log *slog.Logger, msgs *i18n.Bundle, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic in handler", slog.String("route", r.Pattern), slog.Any("panic", v))
				msg := msgs.T(msgs.Pick(r.Header.Get("Accept-Language")), "error.internal", nil)
				if strings.HasPrefix(r.URL.Path, "/api/") {
					body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "internal", "message": msg, "fields": []any{}}})
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusInternalServerError)
					_, _ = w.Write(append(body, '\n'))
					return
				}
				http.Error(w, msg, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Listen binds addr. serve binds before it opens the database, so a port already in use
// fails before anything is created (a database, the first admin and its one-time password).
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves h on ln (and closes it) until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
