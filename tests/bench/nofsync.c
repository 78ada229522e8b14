/* tests/bench/nofsync.c: LD_PRELOAD shim for tests/bench.sh that turns
 * fsync() and fdatasync() into no-ops, to show how much of a batch's wall
 * time is spent waiting for the disk. Diagnostic only: never for real builds. */
int fsync(int fd);
int fdatasync(int fd);

int fsync(int fd) {
    (void)fd;
    return 0;
}

int fdatasync(int fd) {
    (void)fd;
    return 0;
}
