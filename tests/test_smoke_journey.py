def test_a_whole_journey(ok, backend):
    assert ok("coach", "add", "Liisa Laine", "--area", "Seinäjoki") == "1"
    code = ok(
        "client",
        "add",
        "--name",
        "Matti Meikäläinen",
        "--gender",
        "male",
        "--background",
        "native",
        "--coach",
        "Liisa Laine",
    )
    assert code == "A0001"
    assert ok("phase", "start", "coaching", code, "--on", "1.2.2024") == "1"
    assert ok("phase", "start", "placement", code, "--on", "2024-05-01") == "2"
    ok("employer", "add", "Kahvila Aamu Oy")
    assert (
        ok(
            "placement",
            "add",
            code,
            "--employer",
            "Kahvila Aamu Oy",
            "--kind",
            "work-trial",
            "--start",
            "2.5.2024",
        )
        == "1"
    )
    assert ok("activity", "log", code, "--hours", "1,5", "--on", "3.5.2024") == "1"
    assert ok("client", "end", code, "--outcome", "employed", "--on", "1.9.2024") == code
