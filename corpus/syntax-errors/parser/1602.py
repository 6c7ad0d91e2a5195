
# From inside environment using this Python, with pyperf installed:
sudo $(which pyperf) system tune &&          $(which python) -m test.test_patma --rigorous;     sudo $(which pyperf) system reset
