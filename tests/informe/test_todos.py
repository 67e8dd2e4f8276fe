"""Varios periodos con un solo grupo de núcleos (analisis.informe.generar.generar_periodos).

Con cuadernos diminutos (parámetros y una celda que muestra el periodo, la
carpeta de trabajo y una cifra de sus métricas) para que la prueba se ocupe de
quién ejecuta qué, no del contenido de los informes.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from analisis.errores import AnalisisError
from analisis.escritura import leer_manifiesto, sha256_archivo
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe.generar import generar_periodos, paquete_de_fuente

HOSTIL = Path(__file__).parents[1] / "fixtures" / "tablero" / "hostil.txt"
PLANTILLA = Path(__file__).parents[2] / "notebooks" / "07_cambios_tablero.ipynb"
T1, T2 = Evaluacion.desde_textos("2025-T1"), Evaluacion.desde_textos("2025-T2")


def _cuadernos(carpeta: Path, n: int, extra: str = "") -> list[Path]:
    """``n`` cuadernos con los parámetros de las plantillas y una celda que dice dónde y qué evaluó."""
    parametros = next(c for c in nbformat.read(PLANTILLA, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    carpeta.mkdir()
    rutas = []
    for i in range(1, n + 1):
        nb = nbformat.v4.new_notebook(
            metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
        )
        celda = nbformat.v4.new_code_cell(
            extra
            + "import os\n"
            "from analisis.informe.contexto import preparar\n"
            "ctx = preparar(periodo, corte, datos, criterio, valoraciones)\n"
            "print(periodo, os.path.basename(os.getcwd()), ctx.corte.isoformat(), len(ctx.metricas['metricas_hitos']))"
        )
        nb.cells = [nbformat.v4.new_markdown_cell(f"# Cuaderno {i}"), parametros, celda]
        for j, c in enumerate(nb.cells):
            c["id"] = f"celda-{j}"
        ruta = carpeta / f"{i:02d}_prueba.ipynb"
        nbformat.write(nb, ruta)
        rutas.append(ruta)
    return rutas


def _impreso(carpeta: Path, cuaderno: Path) -> list[str]:
    nb = json.loads((carpeta / cuaderno.name).read_text(encoding="utf-8"))
    return "".join(nb["cells"][-1]["outputs"][0]["text"]).split()


def test_un_solo_nucleo_ejecuta_los_cuadernos_de_todos_los_periodos(tmp_path, monkeypatch):
    cuadernos = _cuadernos(tmp_path / "cuadernos", 3)
    monkeypatch.chdir(tmp_path)  # salida relativa, como «--salida informes»
    resultados = generar_periodos([T1, T2], paquete_de_fuente(HOSTIL), Path("informes"), trabajos=1, cuadernos=cuadernos)
    # Un proceso de trabajo: un núcleo arrancado para los seis cuadernos (antes, uno por periodo).
    assert [len(r.nucleos) for r in resultados] == [1, 1]
    assert resultados[0].nucleos == resultados[1].nucleos
    for r, ev in zip(resultados, (T1, T2)):
        assert not r.reutilizado
        for cuaderno in cuadernos:
            periodo, carpeta, corte, _ = _impreso(r.carpeta, cuaderno)
            # Cada cuaderno trabajó en la carpeta de su periodo, con su periodo y su corte.
            assert (periodo, corte) == (ev.periodo.etiqueta, ev.corte.isoformat())
            assert carpeta == ev.periodo.etiqueta
        assert (r.carpeta / f"informe_{r.periodo}.pdf").read_bytes().startswith(b"%PDF")


def test_con_dos_trabajos_arrancan_a_lo_sumo_dos_nucleos_para_todos(tmp_path):
    cuadernos = _cuadernos(tmp_path / "cuadernos", 4)
    resultados = generar_periodos([T1, T2], paquete_de_fuente(HOSTIL), tmp_path / "informes", trabajos=2, cuadernos=cuadernos)
    assert 1 <= len(resultados[0].nucleos | resultados[1].nucleos) <= 2


def test_un_nucleo_reutilizado_da_lo_mismo_que_uno_nuevo(tmp_path):
    # T2 tras T1 en el mismo núcleo frente a T2 solo: mismos bytes en cuadernos, HTML y tablas.
    cuadernos = _cuadernos(tmp_path / "cuadernos", 2)
    paquete = paquete_de_fuente(HOSTIL)
    juntos = generar_periodos([T1, T2], paquete, tmp_path / "juntos", trabajos=1, cuadernos=cuadernos)[1]
    solo = generar_periodos([T2], paquete, tmp_path / "solo", trabajos=1, cuadernos=cuadernos)[0]
    ver = lambda carpeta: {  # noqa: E731
        p.relative_to(carpeta).as_posix(): p.read_bytes() for p in carpeta.rglob("*") if p.is_file()
    }
    assert ver(juntos.carpeta) == ver(solo.carpeta)


def test_un_cuaderno_que_falla_en_un_periodo_no_deja_ese_periodo_ni_procesos(tmp_path):
    cuadernos = _cuadernos(tmp_path / "cuadernos", 2, extra='assert periodo != "2025-T2", "periodo rechazado"\n')
    salida = tmp_path / "informes"
    with pytest.raises(AnalisisError) as error:
        generar_periodos([T1, T2], paquete_de_fuente(HOSTIL), salida, trabajos=2, cuadernos=cuadernos)
    mensaje = str(error.value)
    assert "AssertionError: periodo rechazado" in mensaje and "\n" not in mensaje
    assert not (salida / "2025-T2").exists()
    assert not list(salida.glob(".analisis-tmp-*"))
    # T1 pudo publicarse antes del error; si está, está completo y es lo que dice el manifiesto.
    manifiesto = leer_manifiesto(salida)
    assert set(manifiesto) <= {k for k in manifiesto if k.startswith("2025-T1/") or k == "index.html"}
    for nombre, sha in manifiesto.items():
        assert sha256_archivo(salida / nombre) == sha
    if (salida / "2025-T1").exists():
        assert (salida / "2025-T1" / "informe_2025-T1.pdf").is_file()
    # Ni procesos de trabajo ni núcleos siguen vivos.
    assert _descendientes_vivos() == []


def _descendientes_vivos() -> list[str]:
    """Órdenes de los procesos descendientes de este, salvo los ayudantes de multiprocessing.

    El rastreador de recursos y el servidor de procesos (forkserver) viven lo
    que vive este proceso; sus hijos (los procesos de trabajo) sí cuentan.
    """
    import os

    hijos: dict[int, list[int]] = {}
    for entrada in Path("/proc").iterdir():
        if entrada.name.isdigit():
            try:
                campos = (entrada / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if campos[0] != "Z":
                hijos.setdefault(int(campos[1]), []).append(int(entrada.name))
    vivos, pendientes = [], [os.getpid()]
    while pendientes:
        for hijo in hijos.get(pendientes.pop(), []):
            try:
                orden = (Path("/proc") / str(hijo) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "resource_tracker" not in orden and "multiprocessing.forkserver" not in orden:
                vivos.append(orden)
            pendientes.append(hijo)
    return vivos
