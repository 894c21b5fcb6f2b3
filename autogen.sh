#!/bin/sh
# Regenerate the build system (configure, Makefile.in, build-aux/).
exec autoreconf -fi "$@"
