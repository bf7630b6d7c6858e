from sahel_site.cli import run

run()
