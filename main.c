#include "uppfolj.h"
int main(void) { return 0; }
