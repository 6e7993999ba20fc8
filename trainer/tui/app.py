def run_app(db_path, settings, *, deck=None, straight_to_review=False, greeting=None):
    print(greeting or "")
