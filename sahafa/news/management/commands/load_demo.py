from django.core.management.base import BaseCommand

from sahafa.news.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo outlet (masthead, sections, authors, articles, ticker); safe to re-run."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            "demo: {sections} sections; new: {authors} authors, {articles} articles, "
            "{ticker} ticker items".format(**counts)
        )
