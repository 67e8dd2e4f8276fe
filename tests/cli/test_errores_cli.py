"""Errores de la propia CLI: de argumentos (argparse) y del sistema, cada uno en una línea en español."""

from __future__ import annotations

import pytest

from analisis.cli import main


@pytest.mark.parametrize(
    "argv,esperado",
    [
        (["parse"], "analisis parse: error: faltan los argumentos obligatorios: RAW, --out"),
        (["informe"], "analisis informe: error: hace falta uno de los argumentos --periodo --todos"),
        (["valoraciones"], "analisis valoraciones: error: faltan los argumentos obligatorios: ACCIÓN"),
        (["foo"], "analisis: error: argumento ORDEN: opción no válida: 'foo'"),
        (["enlaces", "--trabajos", "abc"], "valor no válido: 'abc' (se esperaba un número entero)"),
        (["enlaces", "--tiempo-max", "x"], "valor no válido: 'x' (se esperaba un número)"),
    ],
    ids=["parse-sin-argumentos", "informe-sin-periodo", "valoraciones-sin-accion", "orden-desconocida",
         "entero-no-valido", "numero-no-valido"],
)
def test_error_de_argumentos_es_una_linea(argv, esperado, capsys):
    with pytest.raises(SystemExit) as salida:
        main(argv)
    assert salida.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert esperado in err[0]
    assert err[0].endswith("--help)")  # dice dónde está la ayuda completa


def test_error_del_sistema_es_una_linea_con_estado_1(monkeypatch, capsys, tmp_path):
    import errno

    from analisis.cli import parse

    def disco_lleno(args):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "tablas.csv"))

    monkeypatch.setattr(parse, "ejecutar", disco_lleno)
    assert main(["parse", "x.txt", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"analisis: error del sistema: {tmp_path / 'tablas.csv'}: no queda espacio en el disco"]


def test_nombres_en_espanol_equivalen_a_los_originales(tmp_path):
    # «analizar» es «parse» y «--salida» es «--out»: mismo paquete, byte a byte.
    from pathlib import Path

    crudo = Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt"
    assert main(["parse", str(crudo), "--out", str(tmp_path / "a")]) == 0
    assert main(["analizar", str(crudo), "--salida", str(tmp_path / "b")]) == 0
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir() if not p.name.startswith(".")}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir() if not p.name.startswith(".")}
    assert a == b and "datapackage.json" in a
