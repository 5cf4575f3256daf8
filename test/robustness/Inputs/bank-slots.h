/* Members of struct bank, included inside its body: an array of a struct
 * with no name, whose name is its place in this file. */
	struct {
		int used;
	} slots[4];
	struct {
		int a;
	} *spare;
