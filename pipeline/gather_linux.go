package pipeline

import (
	"io"
	"os"
	"syscall"
	"unsafe"
)

// fileVector returns a vectorWriter on w when w is a file, nil otherwise.
func fileVector(w io.Writer) vectorWriter {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	v := &fileWritev{rc: rc}
	v.do = v.call // made once: a method value passed on each call would be allocated
	return v
}

// fileWritev writes to a file with writev, through its RawConn, so that
// a file in non-blocking mode waits in the runtime's poller as
// os.File.Write does.
type fileWritev struct {
	rc    syscall.RawConn
	do    func(fd uintptr) bool
	iov   []syscall.Iovec
	n     int
	errno syscall.Errno
}

func (v *fileWritev) writev(pieces [][]byte) (int, error) {
	v.iov = v.iov[:0]
	for _, p := range pieces {
		iov := syscall.Iovec{Base: &p[0]}
		iov.SetLen(len(p))
		v.iov = append(v.iov, iov)
	}
	v.n, v.errno = 0, 0
	err := v.rc.Write(v.do)
	clear(v.iov) // let the batches' buffers go
	if err != nil {
		return 0, err
	}
	if v.errno != 0 {
		return 0, v.errno
	}
	return v.n, nil
}

// call makes the system call on fd; it returns false to wait until the
// file can be written.
func (v *fileWritev) call(fd uintptr) bool {
	for {
		n, _, e := syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&v.iov[0])), uintptr(len(v.iov)))
		switch e {
		case 0:
			v.n = int(n)
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		default:
			v.errno = e
		}
		return true
	}
}
