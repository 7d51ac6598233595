"""Views: answers to the questions painopts is asked, as neutral documents."""
