/**
 * Catch-up packages (CUPs): the state of a subnet at a checkpoint height, signed by n − f of the
 * replicas that ran consensus at that height, so that a replica starting with an empty (or a far
 * too old) store, or anybody else, can trust a state it fetches from peers. {@link
 * org.outcalls.replica.cup.CupContent} is what is signed, {@link org.outcalls.replica.cup.CupShare}
 * one replica's signature, {@link org.outcalls.replica.cup.CatchUpPackage} the assembled package
 * with its canonical file format and its checks (docs/DESIGN.md, "Catch-up packages").
 */
@Version("1.0.0")
package org.outcalls.replica.cup;

import org.osgi.annotation.versioning.Version;
