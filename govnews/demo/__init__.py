"""The bundled sample site (``site/``) and its offline demo runner (``python -m govnews.demo``)."""
