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
        (b"COMPROMISO 1:\nT\nPORCENTAJE DE AVANCE:\nmitad\n", "malo.txt:4: el porcentaje no es un número bien formado (p. ej. 12%, 41,7 %, 50.00%): «mitad»"),
        (b"", "malo.txt: el archivo está vacío"),
        (b"\x00\x01binario", "malo.txt:1: no es una captura del tablero: contiene bytes nulos"),
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


CAPTURAS = Path(__file__).parents[1] / "fixtures" / "capturas"


def _plan(tmp_path, con_fichas=True):
    import json
    import shutil

    carpeta = tmp_path / "plan"
    carpeta.mkdir()
    for nombre, fecha in (("anterior.txt", "2024-03-01T12:00:00-06:00"), ("avance_agregado.txt", "2024-04-01T12:00:00-06:00")):
        shutil.copy(CAPTURAS / nombre, carpeta / nombre)
        if con_fichas:
            (carpeta / f"{nombre}.procedencia.json").write_text(json.dumps({"fecha_captura": fecha}), encoding="utf-8")
    return carpeta


def test_parse_de_una_carpeta_de_plan_escribe_el_historial(tmp_path, capsys):
    assert main(["parse", str(_plan(tmp_path)), "--out", str(tmp_path / "salida")]) == 0
    assert "de 2 capturas (1 cambios entre ellas" in capsys.readouterr().err
    assert (tmp_path / "salida" / "cambios.csv").read_text(encoding="utf-8").splitlines()[1].startswith("avance_agregado,1,1.2,1,2,")


def test_parse_de_varios_archivos_da_lo_mismo_que_su_carpeta(tmp_path):
    carpeta = _plan(tmp_path)
    assert main(["parse", str(carpeta), "--out", str(tmp_path / "a")]) == 0
    assert main(["parse", str(carpeta / "avance_agregado.txt"), str(carpeta / "anterior.txt"), "--out", str(tmp_path / "b")]) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()} == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}


def test_parse_de_una_serie_sin_ficha_sale_con_2_nombrando_el_archivo(tmp_path, capsys):
    salida = tmp_path / "salida"
    assert main(["parse", str(_plan(tmp_path, con_fichas=False)), "--out", str(salida)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "anterior.txt: falta la ficha de procedencia anterior.txt.procedencia.json" in err[0]
    assert not salida.exists()


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


PLAN_ENLACES = Path(__file__).parents[1] / "fixtures" / "enlaces" / "plan"


def test_parse_de_una_carpeta_de_plan_copia_sus_comprobaciones_de_enlaces(tmp_path, capsys):
    salida = tmp_path / "salida"
    assert main(["parse", str(PLAN_ENLACES), "--out", str(salida)]) == 0
    assert "; 9 comprobaciones de enlaces de 2 archivos de observación" in capsys.readouterr().err
    lineas = (salida / "enlaces.csv").read_text(encoding="utf-8").splitlines()
    assert lineas[0] == "avance_id,url,estado,codigo_http,url_final,fecha_consulta,archivo"
    assert lineas[3] == "1.1.2,https://datos.example.org/uno,roto,404,https://datos.example.org/uno,2025-03-20T15:00:01,2025-03-20.csv"
    assert len(lineas) == 10


def test_parse_de_un_archivo_suelto_no_lleva_comprobaciones(tmp_path):
    salida = tmp_path / "salida"
    assert main(["parse", str(PLAN_ENLACES / "plan.txt"), "--out", str(salida)]) == 0
    assert (salida / "enlaces.csv").read_text(encoding="utf-8") == "avance_id,url,estado,codigo_http,url_final,fecha_consulta,archivo\n"


def test_parse_con_una_comprobacion_mala_sale_con_2_nombrando_archivo_y_linea(tmp_path, capsys):
    import shutil

    plan = tmp_path / "plan"
    shutil.copytree(PLAN_ENLACES, plan)
    (plan / "enlaces" / "2025-05-01.csv").write_text(
        "avance_id,url,estado,codigo_http,url_final,fecha_consulta\n"
        "1.1.1,https://actas.example.org/taller,ok,200,,2025-05-01T10:00:00Z\n"
        "1.1.2,https://datos.example.org/uno,caido,,,2025-05-01T10:00:00Z\n",
        encoding="utf-8",
    )
    salida = tmp_path / "salida"
    assert main(["parse", str(plan), "--out", str(salida)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"{plan}/enlaces/2025-05-01.csv:3: columna «estado»: valor no admitido" in err[0] and "«caido»" in err[0]
    assert not salida.exists()


def test_parse_de_un_plan_con_comprobaciones_no_importa_pandas(tmp_path):
    codigo = (
        "import sys\n"
        "from analisis.cli import main\n"
        f"estado = main(['parse', {str(PLAN_ENLACES)!r}, '--out', {str(tmp_path / 'salida')!r}])\n"
        "print(estado, sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy')))\n"
    )
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True).stdout
    assert salida.strip() == "0 []"
