from __future__ import barry_as_FLUFL
2 {0} 3