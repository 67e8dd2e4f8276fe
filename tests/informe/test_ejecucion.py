"""Procesos del informe: lo que importan al arrancar y cómo hablan con su núcleo."""

from __future__ import annotations

import json
from pathlib import Path


def test_nbformat_valida_sin_cargar_rfc3987_syntax(python_nuevo):
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
    salida = python_nuevo(codigo).split()
    assert salida == ["malo", "rechazado", "None"]


def test_el_proceso_de_trabajo_usa_un_solo_cliente_del_nucleo(tmp_path, python_nuevo):
    # Un cliente nuevo por cuaderno costaba 0,2-0,4 s de espera (kernel_info y
    # vaciar IOPub). Con el motor «analisis», papermill usa el cliente dado: si
    # pidiera otro al gestor del núcleo, este falla.
    codigo = (
        "import json, nbformat\n"
        "from jupyter_client.manager import AsyncKernelManager\n"
        "from jupyter_core.utils import run_sync\n"
        "from analisis.informe import ejecucion\n"
        "km = AsyncKernelManager(kernel_name='python3')\n"
        f"run_sync(km.start_kernel)(cwd={str(tmp_path)!r})\n"
        "kc = km.client(); kc.start_channels(); run_sync(kc.wait_for_ready)(timeout=60)\n"
        "def otro(*a, **k):\n"
        "    raise RuntimeError('otro cliente')\n"
        "km.client = otro\n"
        "motor = ejecucion._registrar_motor()\n"
        f"entrada = {str(tmp_path / 'c.ipynb')!r}\n"
        "celdas = [nbformat.v4.new_code_cell('periodo = \"\"', metadata={'tags': ['parameters']}),\n"
        "          nbformat.v4.new_code_cell('print(periodo)'),\n"
        # Un print que se detiene más que el intervalo de envío del núcleo (0,2 s).
        "          nbformat.v4.new_code_cell('import sys, time\\nsys.stdout.write(\"a\"); time.sleep(0.5); print(\"b\")')]\n"
        "nbformat.write(nbformat.v4.new_notebook(cells=celdas, metadata={'kernelspec': {'name': 'python3', 'language': 'python', 'display_name': 'Python 3'}}), entrada)\n"
        "for periodo in ('2025-T1', '2025-T2'):\n"
        f"    nb, _ = ejecucion._ejecutar_con_nucleo(entrada, {{'periodo': periodo}}, {str(tmp_path)!r}, km, kc, motor)\n"
        "    print(nb['cells'][-2]['outputs'][0]['text'].strip(), nb['cells'][-2]['execution_count'])\n"
        "    print([o['text'] for o in nb['cells'][-1]['outputs']])\n"
        "kc.stop_channels(); run_sync(km.shutdown_kernel)(now=True)\n"
    )
    salida = python_nuevo(codigo)
    # Cada cuaderno, en el núcleo reiniciado: sus parámetros y el contador desde 1 (3: parámetros, inyectada, print);
    # lo impreso en dos envíos queda en una sola salida.
    assert salida.splitlines() == ["2025-T1 3", "['ab\\n']", "2025-T2 3", "['ab\\n']"]


def test_maquetar_el_pdf_no_importa_matplotlib_ni_pandas(python_nuevo):
    # Los procesos que maquetan las partes del PDF (y el principal) solo necesitan
    # WeasyPrint: matplotlib y pandas costaban ~0,4 s de CPU en cada uno.
    codigo = (
        "import sys\n"
        "from analisis.informe import generar, html, pdf\n"
        "pdf.pdf_bytes('<p>hola</p>')\n"
        "print(sorted(m for m in ('matplotlib', 'pandas') if m in sys.modules))\n"
    )
    salida = python_nuevo(codigo)
    assert salida.strip() == "[]"


def test_el_apendice_y_la_union_del_pdf_no_importan_nbconvert_ni_nbformat(python_nuevo):
    # Es lo que hace el proceso principal con WeasyPrint: la página y la parte
    # del apéndice, la portada, los pies y la unión. nbconvert, nbformat (con
    # jsonschema), bleach y BeautifulSoup son de los procesos de trabajo y
    # costaban ~0,8 s de CPU en el principal, al arrancar.
    codigo = (
        "import sys\n"
        "from analisis.informe import generar, html, pdf\n"
        "partes = pdf.maquetar_apendice('<h2>Métodos</h2><p>texto</p>')\n"
        "html.pagina_html(html.markupsafe.Markup('<p>x</p>'), 'Apéndice \\x1b[1mnegrita\\x1b[0m', [])\n"
        "datos = pdf.unir_partes({'titulo': 'Informe'}, [('apendice', 'Apéndice', partes)])\n"
        "print(datos[:5].decode(), sorted(m for m in ('nbconvert', 'nbformat', 'jsonschema', 'bleach', 'bs4') if m in sys.modules))\n"
    )
    salida = python_nuevo(codigo)
    assert salida.split() == ["%PDF-", "[]"]


def test_el_nucleo_suelta_lo_del_cuaderno_en_cuanto_termina(tmp_path, python_nuevo):
    # Un núcleo sin más cuadernos no espera con las variables del último en
    # memoria: se vacían (y se devuelve la memoria) sin esperar al siguiente.
    codigo = (
        "import nbformat\n"
        "from jupyter_client.manager import AsyncKernelManager\n"
        "from jupyter_core.utils import run_sync\n"
        "from analisis.informe import ejecucion\n"
        "km = AsyncKernelManager(kernel_name='python3')\n"
        # Sin historial, como en los procesos de trabajo: con él, dos núcleos a la vez chocan en su base SQLite.
        f"run_sync(km.start_kernel)(cwd={str(tmp_path)!r}, extra_arguments=['--HistoryManager.enabled=False'])\n"
        "kc = km.client(); kc.start_channels(); run_sync(kc.wait_for_ready)(timeout=60)\n"
        "motor = ejecucion._registrar_motor()\n"
        f"entrada = {str(tmp_path / 'c.ipynb')!r}\n"
        "celdas = [nbformat.v4.new_code_cell('grande = list(range(10))'), nbformat.v4.new_code_cell('cuenta = len(grande)')]\n"
        "nbformat.write(nbformat.v4.new_notebook(cells=celdas, metadata={'kernelspec': {'name': 'python3', 'language': 'python', 'display_name': 'Python 3'}}), entrada)\n"
        f"nb, _ = ejecucion._ejecutar_con_nucleo(entrada, {{}}, {str(tmp_path)!r}, km, kc, motor)\n"
        "vistos = []\n"
        # Solo lo impreso en stdout: un aviso del núcleo (stderr) en una máquina cargada no cuenta.
        "def anotar(m):\n"
        "    if m['msg_type'] == 'stream' and m['content']['name'] == 'stdout':\n"
        "        vistos.append(m['content']['text'])\n"
        "run_sync(kc.execute_interactive)(\"print('grande' in globals(), 'cuenta' in globals())\", output_hook=anotar, timeout=60)\n"
        "print(''.join(vistos).strip())\n"
        "kc.stop_channels(); run_sync(km.shutdown_kernel)(now=True)\n"
    )
    salida = python_nuevo(codigo)
    assert salida.split() == ["False", "False"]


def test_los_procesos_de_trabajo_y_los_nucleos_nacen_con_lo_que_usan_ya_importado(tmp_path, python_nuevo):
    # Los procesos de trabajo nacen por fork del servidor de procesos, que ya
    # importó la precarga (con spawn, cada uno la importaría otra vez); los
    # núcleos, por fork del servidor de núcleos, que ya importó pandas (nada
    # en el arranque de un núcleo lo importa: si el núcleo lo tiene, lo heredó).
    (tmp_path / "sonda.py").write_text(
        "import os, sys\n"
        "def sonda(cuaderno, nb):\n"
        "    return {'padre': os.getppid(), 'precargado': 'analisis.informe.precarga' in sys.modules,\n"
        "            'en_el_nucleo': nb['cells'][0]['outputs'][0]['text'].split()}\n",
        encoding="utf-8",
    )
    codigo = (
        "import json, os, sys\n"
        "from pathlib import Path\n"
        "import nbformat\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import sonda\n"
        "from analisis.informe.ejecucion import GrupoDeNucleos\n"
        f"entrada = Path({str(tmp_path / 'c.ipynb')!r})\n"
        "celda = nbformat.v4.new_code_cell('import os, sys\\nprint(os.getpid(), \\'pandas\\' in sys.modules)')\n"
        "nbformat.write(nbformat.v4.new_notebook(cells=[celda],"
        " metadata={'kernelspec': {'name': 'python3', 'language': 'python', 'display_name': 'Python 3'}}), entrada)\n"
        f"with GrupoDeNucleos(1, Path({str(tmp_path)!r}), precarga=('analisis.informe.precarga',)) as grupo:\n"
        f"    grupo.enviar('k', entrada, {{}}, Path({str(tmp_path)!r}), (sonda.sonda, ()))\n"
        "    llegada = grupo.recibir()\n"
        "    servidor = int(Path(f'/proc/{llegada.nucleo}/stat').read_text().rsplit(')', 1)[1].split()[1])\n"
        "    linea = Path(f'/proc/{servidor}/cmdline').read_bytes().replace(b'\\0', b' ').decode()\n"
        "    padre_del_servidor = int(Path(f'/proc/{servidor}/stat').read_text().rsplit(')', 1)[1].split()[1])\n"
        "print(json.dumps({**llegada.resultado, 'principal': os.getpid(), 'nucleo': llegada.nucleo,\n"
        "                  'servidor': linea, 'padre_del_servidor': padre_del_servidor}))\n"
    )
    visto = json.loads(python_nuevo(codigo))
    assert visto["precargado"] is True
    assert visto["padre"] != visto["principal"]
    assert visto["en_el_nucleo"] == [str(visto["nucleo"]), "True"]
    assert "analisis.informe.nucleos" in visto["servidor"]
    assert visto["padre_del_servidor"] == visto["principal"]


def test_el_proceso_principal_del_informe_no_importa_weasyprint_ni_nbconvert(tmp_path, python_nuevo):
    # El apéndice y la unión del PDF los hacen los procesos de trabajo, que ya
    # traen WeasyPrint y nbconvert de su servidor: en el principal costaban
    # ~1,5 s de CPU de importación en el arranque de cada informe.
    raiz = Path(__file__).resolve().parents[2]
    codigo = (
        "import sys\n"
        "from analisis.cli import main\n"
        f"codigo = main(['informe', '--periodo', '2025-T2', '--datos', {str(raiz / 'data' / 'processed')!r},"
        f" '--salida', {str(tmp_path / 'salida')!r}])\n"
        "print(codigo, sorted(m for m in ('weasyprint', 'pikepdf', 'nbconvert', 'nbformat') if m in sys.modules))\n"
    )
    assert python_nuevo(codigo).split(None, 1) == ["0", "[]\n"]
    assert (tmp_path / "salida" / "2025-T2" / "informe_2025-T2.pdf").read_bytes().startswith(b"%PDF-")


def test_un_encargo_corre_en_un_proceso_de_trabajo_y_su_error_llega_en_una_linea(tmp_path, python_nuevo):
    # Los encargos (el apéndice, la unión del PDF) no llevan cuaderno: su
    # resultado llega sin él, y si fallan, el principal recibe el error.
    (tmp_path / "sonda_encargo.py").write_text(
        "import os\n"
        "def doble(x):\n"
        "    return x * 2, os.getpid()\n"
        "def falla():\n"
        "    raise ValueError('mal')\n",
        encoding="utf-8",
    )
    codigo = (
        "import json, os, sys\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import sonda_encargo\n"
        "from analisis.errores import AnalisisError\n"
        "from analisis.informe.ejecucion import GrupoDeNucleos\n"
        f"with GrupoDeNucleos(1, Path({str(tmp_path)!r})) as grupo:\n"
        "    grupo.encargar('k', sonda_encargo.doble, (21,), 'el doble')\n"
        "    llegada = grupo.recibir()\n"
        "    grupo.encargar('k', sonda_encargo.falla, (), 'la prueba')\n"
        "    try:\n"
        "        grupo.recibir()\n"
        "        error = None\n"
        "    except AnalisisError as exc:\n"
        "        error = str(exc)\n"
        "valor, pid = llegada.resultado\n"
        "print(json.dumps({'valor': valor, 'otro_proceso': pid != os.getpid(), 'cuaderno': llegada.cuaderno, 'error': error}))\n"
    )
    visto = json.loads(python_nuevo(codigo))
    assert visto == {"valor": 42, "otro_proceso": True, "cuaderno": None, "error": "k: falló la prueba: ValueError('mal')"}
