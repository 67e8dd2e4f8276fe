"""Rutas y lectura de archivos de entrada (analisis.lectura.rutas)."""

from __future__ import annotations

import re

import pytest

from analisis.errores import ErrorEntrada
from analisis.lectura.rutas import leer_bytes


@pytest.mark.parametrize(
    "preparar,mensaje",
    [
        (lambda d: d / "falta.txt", "falta.txt: el archivo no existe"),
        (lambda d: d, ": se esperaba un archivo y es una carpeta"),
    ],
    ids=["no-existe", "carpeta"],
)
def test_leer_bytes_dice_por_que_no_se_puede_leer(tmp_path, preparar, mensaje):
    with pytest.raises(ErrorEntrada, match=re.escape(mensaje)):
        leer_bytes(preparar(tmp_path))


def test_leer_bytes_con_motivos_propios(tmp_path):
    with pytest.raises(ErrorEntrada, match="no existe el archivo de valoraciones"):
        leer_bytes(tmp_path / "v.csv", "no existe el archivo de valoraciones", "es una carpeta")
