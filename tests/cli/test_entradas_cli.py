"""Entradas y parámetros hostiles en la CLI: estado 2, una línea, nada escrito, ningún eco del archivo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analisis.cli import main

MINI = Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt"
PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def _una_linea(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.mark.parametrize("orden", ["parse", "informe"])
def test_archivo_ajeno_no_se_muestra(tmp_path, capsys, orden):
    ajeno = tmp_path / "passwd"
    ajeno.write_text(PASSWD)
    salida = tmp_path / "salida"
    if orden == "parse":
        argumentos = ["parse", str(ajeno), "--out", str(salida)]
    else:
        argumentos = ["informe", "--todos", "--fuente", str(ajeno), "--salida", str(salida)]
    assert main(argumentos) == 2
    linea = _una_linea(capsys)
    assert f"{ajeno}:1: no es una captura del tablero" in linea
    assert "root" not in linea.replace(str(tmp_path), "")
    assert not salida.exists()


def test_compromiso_de_20_cifras(tmp_path, capsys):
    malo = tmp_path / "malo.txt"
    malo.write_text(MINI.read_text(encoding="utf-8").replace("COMPROMISO 2:", "COMPROMISO 99999999999999999999:"))
    assert main(["parse", str(malo), "--out", str(tmp_path / "salida")]) == 2
    assert "número de compromiso fuera de rango" in _una_linea(capsys)
    assert not (tmp_path / "salida").exists()


def test_paquete_editado_con_id_enorme_es_error_en_metricas(tmp_path, capsys):
    paquete = tmp_path / "paquete"
    assert main(["parse", str(MINI), "--out", str(paquete)]) == 0
    capsys.readouterr()
    compromisos = paquete / "compromisos.csv"
    lineas = compromisos.read_text(encoding="utf-8").split("\n")
    lineas[1] = "99999999999999999999" + lineas[1][lineas[1].index(","):]
    compromisos.write_text("\n".join(lineas), encoding="utf-8")
    assert main(["metricas", "--datos", str(paquete), "--corte", "2025-06-30", "--out", str(tmp_path / "m")]) == 2
    assert "compromisos.csv: fila 1, columna compromiso" in _una_linea(capsys)
    assert not (tmp_path / "m").exists()


def test_windows_1252_avisa_en_espanol(tmp_path, capsys):
    ansi = tmp_path / "ansi.txt"
    ansi.write_bytes(MINI.read_text(encoding="utf-8").encode("cp1252"))
    assert main(["parse", str(ansi), "--out", str(tmp_path / "salida")]) == 0
    err = capsys.readouterr().err
    assert f"analisis: aviso: {ansi}: el archivo no es UTF-8; se lee entero como Windows-1252" in err


@pytest.mark.parametrize(
    "argumentos,motivo",
    [
        (["--corte", "２０２５-03-31"], "use dígitos 0-9"),
        (["--corte", "0000-01-01"], "el año debe estar entre"),
        (["--periodo", "２０２５-T1"], "use dígitos 0-9"),
        (["--periodo", "9999-T4"], "el año debe estar entre"),
    ],
    ids=["corte-ancho-completo", "corte-anio-0000", "periodo-ancho-completo", "periodo-anio-9999"],
)
def test_parametros_de_metricas_estrictos(tmp_path, capsys, argumentos, motivo):
    paquete = tmp_path / "paquete"
    assert main(["parse", str(MINI), "--out", str(paquete)]) == 0
    capsys.readouterr()
    assert main(["metricas", "--datos", str(paquete), *argumentos, "--out", str(tmp_path / "m")]) == 2
    assert motivo in _una_linea(capsys)
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize(
    "argumentos,motivo",
    [
        (["--criterio", ""], "criterio"),
        (["--trabajos", "２"], "--trabajos debe ser un número entero"),
        (["--trabajos", "0"], "--trabajos debe ser un número entero"),
        (["--trabajos", "1_0"], "--trabajos debe ser un número entero"),
        (["--corte", "２０２５-03-31"], "use dígitos 0-9"),
    ],
    ids=["criterio-vacio", "trabajos-ancho-completo", "trabajos-cero", "trabajos-guion-bajo", "corte-ancho-completo"],
)
def test_parametros_de_informe_estrictos(tmp_path, capsys, argumentos, motivo):
    salida = tmp_path / "informes"
    assert main(["informe", "--periodo", "2025-T1", "--fuente", str(MINI), "--salida", str(salida), *argumentos]) == 2
    assert motivo in _una_linea(capsys)
    assert not salida.exists()
