package main

import (
	"errors"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

func TestErrorMessage(t *testing.T) {
	_, loadErr := pcapgen.Load(500, 100, 1)
	if loadErr == nil {
		t.Fatal("pcapgen.Load(100, 500): no error")
	}
	tests := []struct {
		err  error
		want string
	}{
		{errors.New("open x: permission denied"), "pcapgen: open x: permission denied"},
		{errors.New("pcapgen: unknown format 7"), "pcapgen: unknown format 7"},
		{loadErr, "pcapgen: 100 packets for 500 connections: want at least 8 per connection"},
	}
	for _, tt := range tests {
		if got := errorMessage(tt.err); got != tt.want {
			t.Errorf("errorMessage(%q) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
