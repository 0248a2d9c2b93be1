package faultkit

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// echoServer answers each line with the same line.
func echoServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(c, c); _ = c.Close() }()
		}
	}()
	return ln.Addr().String()
}

func roundTrip(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return err
	}
	_, err = bufio.NewReader(c).ReadString('\n')
	return err
}

func TestProxyRefusesAndAcceptsAgain(t *testing.T) {
	p, err := StartProxy(echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := roundTrip(p.Addr); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	open, err := net.Dial("tcp", p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	time.Sleep(50 * time.Millisecond) // let the proxy track the connection
	p.Refuse()
	if err := roundTrip(p.Addr); err == nil {
		t.Fatal("a connection succeeded while the proxy refuses")
	}
	_ = open.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := open.Read(make([]byte, 1)); err == nil {
		t.Error("a connection opened before Refuse is still open")
	}
	if err := p.Accept(); err != nil {
		t.Fatal(err)
	}
	if err := roundTrip(p.Addr); err != nil {
		t.Fatalf("after Accept: %v", err)
	}
}

func TestSlowReaderSendsAllAndSignalsTheFastPart(t *testing.T) {
	r := NewSlowReader(10<<10, 4<<10, 1<<10, time.Millisecond)
	select {
	case <-r.Reached():
		t.Fatal("reached before any read")
	default:
	}
	b, err := io.ReadAll(r)
	if err != nil || len(b) != 10<<10 {
		t.Fatalf("read %d bytes, %v; want %d", len(b), err, 10<<10)
	}
	select {
	case <-r.Reached():
	default:
		t.Fatal("fast part read but Reached not closed")
	}
}
