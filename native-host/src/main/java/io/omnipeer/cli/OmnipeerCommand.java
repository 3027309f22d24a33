package io.omnipeer.cli; public class OmnipeerCommand { public static void main(String[] a){} }
