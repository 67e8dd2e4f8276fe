"""Procesos del informe: lo que importan al arrancar."""

from __future__ import annotations

import subprocess
import sys


def test_nbformat_valida_sin_cargar_rfc3987_syntax():
    # rfc3987_syntax arma una gramática Lark de ~1 s al importarse; importar
    # analisis.informe antes que nbformat lo evita y la validación sigue en pie.
    codigo = (
        "import sys\n"
        "import analisis.informe\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
        "nbformat.validate(nb)\n"
        "malo = nbformat.v4.new_notebook()\n"
        "malo['cells'] = [{'cell_type': 'code'}]\n"
        "try:\n"
        "    nbformat.validate(malo)\n"
        "    print('malo aceptado')\n"
        "except nbformat.ValidationError:\n"
        "    print('malo rechazado')\n"
        "print(sys.modules.get('rfc3987_syntax', 'ausente'))\n"
    )
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True).stdout.split()
    assert salida == ["malo", "rechazado", "None"]
