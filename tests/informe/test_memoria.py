"""Devolver al sistema la memoria libre del proceso."""

from __future__ import annotations

import sys

import pytest

from analisis.informe import memoria
from analisis.informe.memoria import devolver_memoria


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim es de glibc (Linux)")
def test_con_glibc_devuelve_la_memoria():
    assert devolver_memoria() is True


class _LibcSinRecorte:
    """Una libc sin ``malloc_trim`` (macOS, musl): pedir el símbolo falla."""

    def __init__(self, nombre):
        pass

    def __getattr__(self, nombre):
        raise AttributeError(nombre)


def _sin_libc(nombre):
    raise OSError("no se puede abrir la biblioteca")


@pytest.mark.parametrize("cdll", [_LibcSinRecorte, _sin_libc], ids=["sin-malloc-trim", "sin-libc"])
def test_sin_malloc_trim_no_hace_nada(monkeypatch, cdll):
    monkeypatch.setattr(memoria.ctypes, "CDLL", cdll)
    assert devolver_memoria() is False
