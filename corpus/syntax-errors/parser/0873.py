if 1:
            import _testcapi
            _testcapi.run_in_subinterp("[0]*