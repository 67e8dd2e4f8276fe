"""Pruebas de la orden «analisis parse»: estado de salida, mensajes y escritura atómica."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analisis.cli import main

MINI = Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt"


def test_parse_escribe_el_paquete(tmp_path, capsys):
    assert main(["parse", str(MINI), "--out", str(tmp_path / "salida")]) == 0
    assert (tmp_path / "salida" / "datapackage.json").is_file()
    assert "2 compromisos, 3 hitos, 2 avances" in capsys.readouterr().err


@pytest.mark.parametrize(
    "contenido,esperado",
    [
        (b"COMPROMISO 1:\nT\nPORCENTAJE DE AVANCE:\nmitad\n", "malo.txt:4: el porcentaje no es un número: «mitad»"),
        (b"", "malo.txt: el archivo está vacío"),
        (b"\x00\x01binario", "malo.txt:1: el archivo parece binario"),
    ],
    ids=["porcentaje", "vacio", "binario"],
)
def test_error_sale_con_2_un_mensaje_y_nada_escrito(tmp_path, capsys, contenido, esperado):
    malo = tmp_path / "malo.txt"
    malo.write_bytes(contenido)
    salida = tmp_path / "salida"
    assert main(["parse", str(malo), "--out", str(salida)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert esperado in err[0]
    assert not salida.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["malo.txt"]  # ni temporales


def test_error_no_altera_un_paquete_previo(tmp_path):
    salida = tmp_path / "salida"
    assert main(["parse", str(MINI), "--out", str(salida)]) == 0
    antes = {p.name: p.read_bytes() for p in salida.iterdir()}
    malo = tmp_path / "malo.txt"
    malo.write_text(MINI.read_text(encoding="utf-8").replace("12.5%", "doce"), encoding="utf-8")
    assert main(["parse", str(malo), "--out", str(salida)]) == 2
    assert {p.name: p.read_bytes() for p in salida.iterdir()} == antes


def test_script_de_consola_instalado():
    """El punto de entrada «analisis» existe y responde (lo crea scripts/entorno.sh)."""
    ejecutable = Path(sys.executable).parent / "analisis"
    if not ejecutable.exists():
        pytest.skip("el paquete no está instalado en este entorno")
    r = subprocess.run([str(ejecutable), "--version"], capture_output=True, text=True, check=True)
    assert r.stdout.startswith("analisis ")


def test_parse_no_importa_pandas(tmp_path):
    # pandas tarda 0,3-0,5 s en importarse: «parse» escribe CSV sin él.
    codigo = (
        "import sys\n"
        "from analisis.cli import main\n"
        f"estado = main(['parse', {str(MINI)!r}, '--out', {str(tmp_path / 'salida')!r}])\n"
        "print(estado, sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy')))\n"
    )
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True).stdout
    assert salida.strip() == "0 []"
