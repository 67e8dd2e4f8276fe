"""El servidor de núcleos: crea núcleos por fork, dice por qué no pudo y no deja nada al cerrarse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analisis.informe.nucleos import ServidorDeNucleos, _conexion_nueva


def test_la_conexion_tiene_cinco_puertos_distintos_y_una_clave():
    conexion = _conexion_nueva()
    puertos = [conexion[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
    assert len(set(puertos)) == 5 and all(p > 0 for p in puertos)
    assert conexion["key"] and conexion["transport"] == "tcp"


def test_al_cerrar_mata_a_sus_nucleos_y_borra_sus_archivos(tmp_path, vivo):
    servidor = ServidorDeNucleos()
    servidor.arrancar(str(tmp_path), ["--HistoryManager.enabled=False"])
    (pid,) = servidor.pids()
    carpeta = Path(servidor._carpeta)
    assert vivo(pid) and any(carpeta.glob("nucleo-*.json"))
    servidor.cerrar()
    assert not vivo(pid)
    assert not carpeta.exists()


def test_si_no_puede_importar_dice_por_que(monkeypatch):
    # Un backend de matplotlib que no existe hace fallar la importación en el servidor.
    monkeypatch.setenv("MPLBACKEND", "backend_que_no_existe")
    servidor = ServidorDeNucleos()
    servidor.arrancar(os.getcwd(), [])
    with pytest.raises(OSError, match=r"terminó \(código 1\) sin crear los núcleos: ValueError: .*backend_que_no_existe"):
        servidor.pids()
    servidor.cerrar()
