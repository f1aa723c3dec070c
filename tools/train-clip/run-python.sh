#!/usr/bin/env bash
# Runs /usr/bin/python3 (Debian's, with torch) with the settings that make torch fast on this kind of
# machine: no glibc mmap/munmap churn for big temporaries, one OpenBLAS thread per torch thread.
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=2147483647:glibc.malloc.trim_threshold=4294967295
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
exec /usr/bin/python3 "$@"
