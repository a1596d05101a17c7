declare namespace App {
	interface Locals {
		visitor: string;
	}
}
